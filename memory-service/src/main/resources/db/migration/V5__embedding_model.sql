-- Every vector records the model that made it: vectors of two models do not compare, so after a
-- change of model the service re-embeds the rows of another model in the background (bounded
-- batches; search keeps working meanwhile). Every row stored so far was embedded by the model that
-- was the only default until now. Adding the column with a constant default rewrites no row. The
-- default stays: during a rolling upgrade, replicas of the previous release (which embed with that
-- model and do not know the column) keep inserting, and their rows are labelled correctly.
alter table memory add column embedding_model text not null default 'all-minilm-l6-v2-q';
