-- The version of a projection that readers should use (blue/green).
-- Parameters: :name
SELECT version
FROM ${qualified_prefix}projection_serving
WHERE name = :name
