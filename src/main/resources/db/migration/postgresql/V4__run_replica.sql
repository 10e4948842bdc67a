-- Which replica ran the run (its host name, the pod's in Kubernetes, and process id).
ALTER TABLE sync_runs ADD COLUMN replica VARCHAR(255);
