// Tests of ImageDB live in this folder, one file per concept.
