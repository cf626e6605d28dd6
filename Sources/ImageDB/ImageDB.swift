// ImageDB module: see ARCHITECTURE.md.
