// Web module: see ARCHITECTURE.md.
