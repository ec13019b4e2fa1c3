"""PySide6 user interface of the Reviewer Workstation: the only package that imports Qt."""
