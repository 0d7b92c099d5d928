"""Spreadsheet helpers shared by every adapter: file kinds, sheets and rows, header detection.

Readers of rosters and of signature evidence are plugins; what they have in common
(recognising a file by its content, streaming its rows, finding the header under title
rows) lives here once so that every adapter, bundled or vendor's, behaves the same.
"""
