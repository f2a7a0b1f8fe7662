-- The history of each user's memory strength: the lifecycle sweep samples, once per interval (an
-- hour by default), every user's memories by type and state (how many, and their mean, 10th and
-- 90th percentile current strength) and deletes samples older than the retention (90 days by
-- default). GET /api/v1/analytics/strength reads them; an erasure deletes a user's rows.
create table strength_sample (
    user_id       text             not null,
    at            timestamptz      not null,
    type          text             not null,
    state         text             not null,
    count         bigint           not null,
    mean_strength double precision not null,
    p10_strength  double precision not null,
    p90_strength  double precision not null,
    primary key (user_id, at, type, state)
);

-- for the purge of samples past the retention
create index strength_sample_at on strength_sample (at);

-- The intervals already sampled (by any replica): the replica whose insert of an interval's row
-- commits is the one that sampled it, so each interval is sampled once.
create table strength_sample_run (
    bucket timestamptz primary key,
    at     timestamptz not null
);
