// Drives a Tracker server through the third-party MLflow client from npm (https://github.com/Yuhsak/mlflow).
// Usage: TRACKER_URL=http://127.0.0.1:5040 TRACKER_API_KEY=trk_... node interop.js
// Prints one JSON object with what the client saw; the .NET test checks it against Tracker's native API.
const MLflow = require('mlflow');

(async () => {
  const endpoint = process.env.TRACKER_URL.replace(/\/$/, '');
  const client = new MLflow({ endpoint, headers: { Authorization: `Bearer ${process.env.TRACKER_API_KEY}` } });
  const { Experiments, Runs, Metrics } = client;

  const { experiment_id } = await Experiments.create({ name: 'JS interop ' + process.pid });
  const { experiment } = await Experiments.get({ experiment_id });
  const { run } = await Runs.create({
    experiment_id,
    start_time: Date.now(),
    tags: [{ key: 'mlflow.runName', value: 'mlflow-js' }, { key: 'team', value: 'interop' }],
  });
  const run_id = run.info.run_id;
  await Runs.logParameter({ run_id, key: 'lr', value: '0.01' });
  const metrics = [];
  for (let step = 0; step < 50; step++) {
    metrics.push({ key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step });
  }
  await Runs.logBatch({ run_id, metrics, params: [{ key: 'batch_size', value: '64' }], tags: [{ key: 'phase', value: 'train' }] });
  await Runs.logMetric({ run_id, key: 'loss', value: 0.01, timestamp: Date.now(), step: 50 });
  const history = await Metrics.getHistory({ run_id, metric_key: 'loss' });
  const search = await Runs.search({ experiment_ids: [experiment_id], filter: 'metrics.loss < 0.5 and params.lr = "0.01"' });
  await Runs.update({ run_id, status: 'FINISHED', end_time: Date.now() });
  const finished = await Runs.get({ run_id });
  console.log(JSON.stringify({
    experiment_id,
    experiment_name: experiment.name,
    run_id,
    history: history.metrics.length,
    last: history.metrics[history.metrics.length - 1].value,
    found: (search.runs || []).map(r => r.info.run_id),
    status: finished.run.info.status,
    params: finished.run.data.params,
  }));
})().catch(e => { console.error(e); process.exit(1); });
