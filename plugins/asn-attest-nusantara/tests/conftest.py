# asn-attest's fixtures for plugin authors (asn_attest_pm, asn_attest_cli, ...): one line.
pytest_plugins = ["asn_attest.testing.pytest_plugin"]
