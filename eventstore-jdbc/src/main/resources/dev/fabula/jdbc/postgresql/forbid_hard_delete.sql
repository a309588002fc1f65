-- Close the append-only trigger's escape hatch again (it would close at commit anyway).
SET LOCAL fabula.allow_hard_delete = 'off'
