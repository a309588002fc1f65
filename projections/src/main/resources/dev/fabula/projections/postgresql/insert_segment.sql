-- A new segment, unowned: the segments of a projection being segmented, or a split's new half.
-- Parameters: :name, :version, :segment, :mask, :position, :state, :fencing_token,
--             :skip_segment, :skip_mask, :skip_until (null: none)
INSERT INTO ${qualified_prefix}projection_segments (
    name,
    version,
    segment,
    mask,
    position,
    fencing_token,
    state,
    skip_segment,
    skip_mask,
    skip_until,
    updated_at_ms
)
VALUES (
    :name,
    :version,
    :segment,
    :mask,
    :position,
    :fencing_token,
    :state,
    :skip_segment,
    :skip_mask,
    :skip_until,
    CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
)
