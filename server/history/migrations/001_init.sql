-- Posture history. Every row names its cluster (POSTURE_CLUSTER_NAME): a fleet of dashboards can share one
-- database. Rows are written only when something changed, so a quiet cluster adds nothing.

-- One row per cluster: `generation` grows with every write that changed something, so a writer whose cached
-- baseline is older than the database (another replica wrote meanwhile) notices and reloads it.
CREATE TABLE history_clusters (
  cluster      text PRIMARY KEY,
  generation   integer NOT NULL DEFAULT 0,
  last_written timestamptz,
  last_pruned  timestamptz
);

-- A pipeline's score, grade and coverage, appended when one of them changed since that pipeline's last row.
-- Reserved ids: '@cluster' (the cluster summary) and '@platform' (the platform card); pipeline ids hold a '/'.
CREATE TABLE score_history (
  cluster     text NOT NULL,
  pipeline_id text NOT NULL,
  recorded_at timestamptz NOT NULL,
  score       double precision,
  grade       text,
  coverage    double precision NOT NULL,
  -- false: the pipeline left the cluster at recorded_at (score, grade and coverage are then meaningless).
  present     boolean NOT NULL DEFAULT true,
  PRIMARY KEY (cluster, pipeline_id, recorded_at)
);

-- A finding's outcome, appended only when it changed: key = cluster, pipeline id, check id.
CREATE TABLE finding_transitions (
  cluster     text NOT NULL,
  pipeline_id text NOT NULL,
  check_id    text NOT NULL,
  recorded_at timestamptz NOT NULL,
  -- null: the finding is gone (its pipeline left the cluster, or the check no longer reports on it).
  outcome     text,
  -- The outcome before this row; null when the key was not in the previous snapshot.
  previous    text,
  severity    text NOT NULL,
  -- true for the cluster's first snapshot: what was already there, not a change.
  baseline    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (cluster, pipeline_id, check_id, recorded_at)
);

-- "What changed since": the rows of a time window, whatever their key.
CREATE INDEX finding_transitions_by_time ON finding_transitions (cluster, recorded_at);
