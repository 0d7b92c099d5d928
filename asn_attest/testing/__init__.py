"""Helpers for testing asn-attest and its plugins: a synthetic kabupaten and its exports.

Everything here is made up by code from a seed; no real person's data is involved.
"""
