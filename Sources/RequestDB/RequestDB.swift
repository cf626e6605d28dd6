// RequestDB module: see ARCHITECTURE.md.
