// FITS module: see ARCHITECTURE.md.
