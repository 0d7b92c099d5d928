"""Helpers for testing asn-attest and its plugins: a synthetic kabupaten and its exports.

Everything here is made up by code from a seed; no real person's data is involved.

- :mod:`.kabupaten` and :mod:`.evidence`: invented staff, their roster exports and
  their signature evidence, with the truth of what each file holds;
- :mod:`.samples`: sample files of every bundled format, broken files, and a result to
  export whose values try to become formulas;
- :mod:`.conformance`: the contract classes a plugin's tests subclass, and
  :mod:`.checks`, the checks behind them;
- :mod:`.pytest_plugin`: fixtures for plugin authors, enabled with
  ``pytest_plugins = ["asn_attest.testing.pytest_plugin"]``.

:mod:`.conformance` and :mod:`.pytest_plugin` need pytest; nothing here is imported by
asn-attest itself.
"""
