// Tests of Integration live in this folder, one file per concept.
