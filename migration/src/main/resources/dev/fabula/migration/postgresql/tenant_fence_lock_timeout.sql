-- Bounds the fence's wait for the writes in flight, for the calling transaction only.
-- Parameters: :timeout (a PostgreSQL duration, such as '10000ms')
SELECT set_config('lock_timeout', :timeout, true)
