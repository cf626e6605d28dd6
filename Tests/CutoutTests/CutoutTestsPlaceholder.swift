// Tests of Cutout live in this folder, one file per concept.
