-- Lets the calling transaction write for a tenant fenced 'in' (a move's copy), until it ends.
-- Parameters: :tenant_id
SELECT set_config('fabula.tenant_move', :tenant_id, true)
