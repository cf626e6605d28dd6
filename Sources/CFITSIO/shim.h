#include <fitsio.h>
/* malloc_usable_size: the FITS module zeroes what cfitsio's memory driver grows (FITSMemoryFile.swift). */
#include <malloc.h>
