// DataStore module: see ARCHITECTURE.md.
