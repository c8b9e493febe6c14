"""csc: the command-line side of the children's social care warehouse.

Everything here is glue: reading the landing folder, generating synthetic extracts,
validating at the door, building and publishing. Definitions of measures live in SQL
(models/), once.
"""

__version__ = "0.1.0"
