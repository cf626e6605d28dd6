// Tests of DataStore live in this folder, one file per concept.
