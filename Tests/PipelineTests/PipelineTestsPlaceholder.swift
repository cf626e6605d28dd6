// Tests of Pipeline live in this folder, one file per concept.
