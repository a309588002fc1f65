-- Open the append-only trigger's escape hatch for the rest of this transaction only.
SET LOCAL fabula.allow_hard_delete = 'on'
