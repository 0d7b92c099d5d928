"""``asn-attest plugins new NAME``: a plugin package ready to install and to test.

The package has what every plugin needs and nothing more: a ``setup.cfg`` with the
``asn_attest`` entry point, a module with one hook implementation (a reader of a
simple CSV/xlsx export, or a status exporter) that declares the hook API it was
written for, and tests that run the conformance suite on it against sample files
made by the test itself. Everything is written from the templates below (no data
files ship with asn-attest), into a new folder that must not exist yet.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from string import Template

from . import HOOK_API_VERSION, __version__
from .errors import ConfigError

__all__ = ["KINDS", "ScaffoldError", "PluginNames", "plugin_names", "render_plugin", "create_plugin"]

#: What the new plugin provides: a reader of one role, or a status exporter.
KINDS = ("roster", "attestation", "exemption", "exporter")

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_NAME_MAX = 40


class ScaffoldError(ConfigError):
    """The plugin package cannot be made as asked (a bad name, a folder that exists)."""


@dataclass(frozen=True)
class PluginNames:
    """The names one plugin goes by, all derived from the NAME the user gave."""

    #: entry point and reader (or exporter) name: ``acme-hr``
    name: str
    #: distribution and folder: ``asn-attest-acme-hr``
    distribution: str
    #: import package: ``asn_attest_acme_hr``
    package: str
    #: for prose: ``Acme Hr``
    title: str
    #: for test classes: ``AcmeHr``
    camel: str
    #: the header of the first column of the export the reader recognises: ``ACME_HR_ID``
    id_header: str


def plugin_names(name: str) -> PluginNames:
    """The names of a plugin called ``name``; a ScaffoldError when ``name`` cannot be one."""
    if not _NAME.match(name) or len(name) > _NAME_MAX:
        raise ScaffoldError(
            f"plugin name {name!r}: use lower-case letters and digits, words joined by '-' or '_', starting with "
            f"a letter, at most {_NAME_MAX} characters (e.g. 'acme' or 'acme-hr')"
        )
    words = re.split(r"[-_]", name)
    return PluginNames(
        name=name,
        distribution="asn-attest-" + "-".join(words),
        package="asn_attest_" + "_".join(words),
        title=" ".join(w.capitalize() for w in words),
        camel="".join(w.capitalize() for w in words),
        id_header="_".join(w.upper() for w in words) + "_ID",
    )


# --------------------------------------------------------------------------- templates

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=61", "wheel"]
build-backend = "setuptools.build_meta"

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

_SETUP_CFG = """\
[metadata]
name = $distribution
version = 0.1.0
description = asn-attest plugin: $description
long_description = file: README.md
long_description_content_type = text/markdown

[options]
python_requires = >=3.10
packages = $package
install_requires =
    asn-attest>=$core_version

[options.extras_require]
test =
    pytest>=7

[options.entry_points]
asn_attest =
    $name = $package
"""

_README = """\
# $distribution

An [asn-attest](https://pypi.org/project/asn-attest/) plugin: $description.

Made with `asn-attest plugins new $name`; the plugin guide of asn-attest
(docs/plugin-guide.md) explains every part.

```sh
pip install -e '.[test]'
asn-attest plugins          # lists '$name' as active
pytest                      # the conformance suite and your own tests
```

`tests/test_conformance.py` runs asn-attest's conformance suite on the plugin with
sample files it writes itself: change them to real (invented) exports of your
system as you change the code.
"""

_CONFTEST = """\
# The fixtures and conformance suite of asn-attest (asn_attest.testing).
pytest_plugins = ["asn_attest.testing.pytest_plugin"]
"""

_INIT = '''\
"""asn-attest plugin: $description.

Registered through the ``asn_attest`` entry point ``$name`` (see setup.cfg).
"""

from __future__ import annotations

from asn_attest.hookspecs import hookimpl
from asn_attest.plugin_types import $descriptor

from .$module import $imports

#: The hook API version this plugin was written for (asn_attest.HOOK_API_VERSION then).
ASN_ATTEST_HOOK_API = "$hook_api"

$constant_name = "$name"


@hookimpl
def $hook() -> list[$descriptor]:
    return [
        $descriptor(
            name=$constant_name,
            description="$description",
$descriptor_fields
        )
    ]
'''

_READER_FIELDS = """\
            file_kinds=FILE_KINDS,
            sniff=sniff,
            read=read_export,"""

_EXPORTER_FIELDS = """\
            write=write_status,"""

_READER = '''\
"""Reads $what (CSV or xlsx): one header row, then one row per $row_is.

The first header is ``$id_header``: that is how the sniffer tells this export from
every other table. Change COLUMNS to the headers of your export.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marshmallow import ValidationError

from asn_attest.errors import ConfigError, DataError
from asn_attest.reading import ReadContext
from asn_attest.records import $record, $schema
from asn_attest.tabular.kinds import FileKind, FileSample
from asn_attest.tabular.tables import flatten_messages, sample_text
from asn_attest.tabular.workbook import open_workbook
from asn_attest.values import clean_text

#: The first header of every export, and of no other table.
ID_HEADER = "$id_header"
#: Field of the record -> its header in the export.
COLUMNS = {$columns}
#: Fields a file must have a column for.
REQUIRED = ($required)
FILE_KINDS = (FileKind.CSV.value, FileKind.XLSX.value)
WHAT = "$what"

_SCHEMA = $schema()


def sniff(sample: FileSample) -> float:
    """Sure when the first header is ID_HEADER; "not mine" for anything else."""
    if sample.kind.value not in FILE_KINDS:
        return 0.0
    text = sample_text(sample).lstrip("\\ufeff")
    if sample.kind is FileKind.CSV:
        return 0.9 if text.lstrip('"').startswith(ID_HEADER) else 0.0
    return 0.9 if f">{ID_HEADER}<" in text else 0.0


def read_export(sample: FileSample, ctx: ReadContext) -> Iterator[$record]:
    """The records of the first visible sheet; a bad row is a problem, a bad file a DataError."""
    with open_workbook(sample.path, sample.kind, max_rows=ctx.max_rows) as workbook:
        sheet = next((s for s in workbook.sheets if not s.hidden), None)
        if sheet is None:
            raise DataError(f"no visible sheet: expected {WHAT}", file=sample.path)
        rows = sheet.rows()
        first = next(rows, None)
        if first is None:
            raise DataError(f"the file is empty: expected {WHAT}", file=sample.path, sheet=sheet.name)
        header_row, header = first
        titles = [clean_text(value) or "" for value in header]
        if titles[:1] != [ID_HEADER]:
            raise DataError(
                f"not {WHAT}: its first header should be {ID_HEADER!r}, found {(titles or [''])[0]!r}",
                file=sample.path, sheet=sheet.name, row=header_row,
            )
        columns = _columns(titles, ctx, sample, sheet.name, header_row)
        ctx.sheet_read(
            sheet=sheet.name,
            header_row=header_row,
            columns={field: titles[index] for field, index in columns.items()},
            ignored=[title for index, title in enumerate(titles) if title and index not in columns.values()],
        )
        for row, values in rows:
            data: dict[str, Any] = {
                field: values[index]
                for field, index in columns.items()
                if index < len(values) and values[index] is not None
            }
            if not data:
                continue
$extra_fields            data["source"] = {"file": ctx.display_path, "sheet": sheet.name, "row": row}
            try:
                record = _SCHEMA.load(data)
            except ValidationError as exc:
                ctx.problem(f"{'; '.join(flatten_messages(exc.messages))}: row skipped", sheet=sheet.name, row=row)
                continue
            yield record


def _columns(titles: list[str], ctx: ReadContext, sample: FileSample, sheet: str | None, row: int) -> dict[str, int]:
    """The column of each field: the user's ``--map FIELD=HEADER`` first, then COLUMNS."""
    keys = [title.casefold() for title in titles]
    columns: dict[str, int] = {}
    for field, header in {**COLUMNS, **ctx.overrides}.items():
        if field not in COLUMNS:
            raise ConfigError(f"unknown field {field!r} for {WHAT}; fields: {', '.join(COLUMNS)}")
        if header.casefold() in keys:
            columns[field] = keys.index(header.casefold())
        elif field in ctx.overrides:
            raise ConfigError(f"{sample.path}: --map {field}={header!r}: no such column; columns: {' | '.join(titles)}")
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        expected = ", ".join(COLUMNS[field] for field in missing)
        raise DataError(f"not {WHAT}: no column {expected}", file=sample.path, sheet=sheet, row=row)
    return columns
'''

_EXPORTER = '''\
"""Writes $file_name: one row per person of the roster with the attestation status,
for $title's import screen.
"""

from __future__ import annotations

import csv
from pathlib import Path

from asn_attest.export import ExportOptions
from asn_attest.reconcile import Reconciliation
from asn_attest.tabular.output import atomic_write, csv_field

FILE_NAME = "$file_name"
HEADER = ("NIP", "NAMA", "UNIT_KERJA", "STATUS")


def write_status(result: Reconciliation, out_dir: Path, options: ExportOptions) -> list[Path]:
    """``;``-separated UTF-8 with BOM, every text field escaped so that no value runs as a formula."""
    path = Path(out_dir) / FILE_NAME
    signed = result.matches.signed
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for index, person in enumerate(result.roster):
            if index in signed:
                status = "SUDAH"
            elif index in result.exempt:
                status = "DIKECUALIKAN"
            else:
                status = "BELUM"
            nip = person.nip_full or person.nip.written or ""
            writer.writerow([csv_field(value) for value in (nip, person.name, person.unit or "", status)])
    return [path]
'''

_READER_TEST = '''\
"""asn-attest's conformance suite on the $name reader, with sample files written here."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

import $package
from $package.reader import COLUMNS, ID_HEADER
from asn_attest.testing.conformance import $contract
from asn_attest.testing.samples import SampleFile

#: Rows of an invented export, in the order of COLUMNS.
ROWS = [
$rows
]


def _table() -> list[list[str]]:
    return [[ID_HEADER, *COLUMNS.values()]] + [[f"{number:04d}", *row] for number, row in enumerate(ROWS, 1)]


def write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(_table())
    return path


def write_xlsx(path: Path) -> Path:
    workbook = Workbook()
    for row in _table():
        workbook.active.append(row)
    workbook.save(path)
    return path


class Test${camel}Reader($contract):
    plugin = $package
    reader_name = "$name"
    entry_point = "$name"

    def sample_files(self, folder: Path) -> list[SampleFile]:
        return [
            SampleFile(write_csv(folder / "$name.csv"), records=len(ROWS)),
            SampleFile(write_xlsx(folder / "$name.xlsx"), records=len(ROWS)),
        ]
'''

_EXPORTER_TEST = '''\
"""asn-attest's conformance suite on the $name exporter."""

from __future__ import annotations

import $package
from asn_attest.testing.conformance import ExporterContract


class Test${camel}Exporter(ExporterContract):
    plugin = $package
    exporter_name = "$name"
    entry_point = "$name"
'''


@dataclass(frozen=True)
class _Kind:
    """A reader's template values; its hook, contract and schema follow from its kind,
    descriptor and record (see :func:`render_plugin`)."""

    description: str
    descriptor: str
    record: str
    what: str
    row_is: str
    columns: str
    required: str
    rows: str
    extra_fields: str = ""


_KINDS: dict[str, _Kind] = {
    "roster": _Kind(
        description="employee lists exported by $title",
        descriptor="RosterReader",
        record="Employee",
        what="$title's employee export",
        row_is="person",
        columns='"nip": "NIP", "name": "NAMA", "jabatan": "JABATAN", "unit": "UNIT_KERJA"',
        required='"name",',
        rows='''\
    ["198503152010011001", "Dr. AHMAD FAUZI, M.Si.", "Kepala Bidang Pelayanan", "Dinas Kesehatan"],
    ["199001012015032002", "SITI RAHAYU, S.Kep.", "Perawat Ahli Pertama", "RSUD"],
    ["-", "BUDI SANTOSO", "Tenaga Pendukung", "Dinas Kesehatan"],''',
    ),
    "attestation": _Kind(
        description="neutrality-pledge signatures recorded by $title",
        descriptor="AttestationReader",
        record="Attestation",
        what="$title's signature export",
        row_is="signature",
        columns='"nip": "NIP", "name": "NAMA", "unit": "UNIT_KERJA", "signed_at": "WAKTU_TTD"',
        required='"nip", "name"',
        rows='''\
    ["198503152010011001", "Dr. AHMAD FAUZI, M.Si.", "Dinas Kesehatan", "2024-02-12 09:15:00"],
    ["199001012015032002", "SITI RAHAYU, S.Kep.", "RSUD", "2024-02-12 10:02:30"],
    ["-", "BUDI SANTOSO", "Dinas Kesehatan", "2024-02-13 08:00:00"],''',
        extra_fields='            data["channel"] = "esign"  # how signatures reach HR through $title\n',
    ),
    "exemption": _Kind(
        description="exemptions (leave, study leave, transfers) recorded by $title",
        descriptor="ExemptionReader",
        record="Exemption",
        what="$title's exemption export",
        row_is="exemption",
        columns='"nip": "NIP", "name": "NAMA", "unit": "UNIT_KERJA", "reason": "ALASAN", "until": "SAMPAI"',
        required='"reason",',
        rows='''\
    ["198503152010011001", "Dr. AHMAD FAUZI, M.Si.", "Dinas Kesehatan", "Cuti", "29-02-2024"],
    ["199001012015032002", "SITI RAHAYU, S.Kep.", "RSUD", "Tugas Belajar", ""],
    ["197001011995031003", "HARTONO", "Dinas Kesehatan", "MPP", "31-12-2024"],''',
    ),
}


def render_plugin(name: str, kind: str = "roster") -> dict[str, str]:
    """The files of a new plugin package: relative path -> text."""
    if kind not in KINDS:
        raise ScaffoldError(f"plugin kind {kind!r}: choose one of {', '.join(KINDS)}")
    names = plugin_names(name)
    values = asdict(names) | {"hook_api": HOOK_API_VERSION, "core_version": __version__}
    files: dict[str, str] = {}
    if kind == "exporter":
        file_name = f"{names.name}-status.csv"
        values |= {
            "description": f"attestation status for {names.title}'s import screen ({file_name})",
            "descriptor": "StatusExporter",
            "hook": "asn_attest_status_exporters",
            "module": "exporter",
            "imports": "write_status",
            "constant_name": "EXPORTER_NAME",
            "descriptor_fields": _EXPORTER_FIELDS,
            "file_name": file_name,
        }
        files[f"{names.package}/exporter.py"] = Template(_EXPORTER).substitute(values)
        files["tests/test_conformance.py"] = Template(_EXPORTER_TEST).substitute(values)
    else:
        spec = _KINDS[kind]
        values |= asdict(spec) | {
            field: Template(getattr(spec, field)).substitute(values)
            for field in ("description", "what", "extra_fields")
        }
        values |= {
            "hook": f"asn_attest_{kind}_readers",
            "contract": f"{spec.descriptor}Contract",
            "schema": f"{spec.record}Schema",
            "module": "reader",
            "imports": "FILE_KINDS, read_export, sniff",
            "constant_name": "READER_NAME",
            "descriptor_fields": _READER_FIELDS,
        }
        files[f"{names.package}/reader.py"] = Template(_READER).substitute(values)
        files["tests/test_conformance.py"] = Template(_READER_TEST).substitute(values)
    files[f"{names.package}/__init__.py"] = Template(_INIT).substitute(values)
    files["tests/conftest.py"] = _CONFTEST
    files["pyproject.toml"] = _PYPROJECT
    files["setup.cfg"] = Template(_SETUP_CFG).substitute(values)
    files["README.md"] = Template(_README).substitute(values)
    return dict(sorted(files.items()))


def create_plugin(name: str, parent: str | Path, *, kind: str = "roster") -> Path:
    """Write a new plugin package into ``parent/asn-attest-NAME``; that folder must not exist.

    Nothing is written when the folder exists or the name is refused; a failure while
    writing removes the folder again.
    """
    files = render_plugin(name, kind)
    target = Path(parent) / plugin_names(name).distribution
    try:
        target.mkdir()
    except FileExistsError:  # a folder, a file or a symlink (dangling too) of that name
        raise ScaffoldError(f"{target} already exists; nothing was written (choose another NAME or --dir)") from None
    except OSError as exc:
        raise ScaffoldError(f"{target}: cannot create the folder: {exc.strerror or exc}") from None
    try:
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise ScaffoldError(f"{target}: cannot write the plugin: {exc.strerror or exc}") from None
    return target
