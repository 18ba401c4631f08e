class BackupError(Exception):
    """The file cannot be imported, or the database cannot take it; nothing was written."""
