"""Great Expectations, imported without the libraries of an expectation validation never runs.

Importing GX registers every core expectation, and one of them (the KL divergence of a
column's distribution) imports SciPy's statistics and Altair at module level: about 1 CPU s
and 80 MB of a council's validation, for a check csc never asks for. While GX is imported,
those two modules are stand-ins (`Deferred`) that import the real module the first time one
of their attributes is read, so that expectation still works if it ever runs; once GX is
in, the stand-ins leave `sys.modules`, so anything else importing them gets the real module.
csc imports GX from here only (a GX import before this one loads both libraries: a test checks).
"""

from __future__ import annotations

import importlib
import sys
import types

DEFERRED = ("scipy.stats", "altair")


class Deferred(types.ModuleType):
    """A module imported on first use of one of its attributes."""

    def __getattr__(self, attr: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def _import_gx() -> tuple[types.ModuleType, types.ModuleType, type, types.ModuleType]:
    stand_ins = {name: Deferred(name) for name in DEFERRED if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import great_expectations
        import great_expectations.expectations
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return great_expectations, great_expectations.expectations, ProgressBarsConfig, pandas_execution_engine


gx, gxe, ProgressBarsConfig, pandas_execution_engine = _import_gx()
