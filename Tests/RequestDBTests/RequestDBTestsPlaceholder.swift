// Tests of RequestDB live in this folder, one file per concept.
