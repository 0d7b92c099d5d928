"""asn-attest: who has signed the ikrar netralitas, per OPD and per kecamatan."""

__version__ = "0.1.0"

#: Version of the hook API that plugins are written against. It grows only by
#: new hooks and new optional arguments; see docs/plugin-guide.md.
HOOK_API_VERSION = "1.0"

__all__ = ["__version__", "HOOK_API_VERSION"]
