// Tests of Web live in this folder, one file per concept.
