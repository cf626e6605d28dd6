// Tests of FITS live in this folder, one file per concept.
