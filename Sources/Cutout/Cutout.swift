// Cutout module: see ARCHITECTURE.md.
