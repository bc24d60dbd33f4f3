import { ExampleMonitoringChart, ExampleSourceChart, EXAMPLE } from './example-charts';
import { synthToDirectory } from './synth-to-directory';

// The only entry point that writes files. `cdk8s synth` sets CDK8S_OUTDIR.
synthToDirectory(process.env.CDK8S_OUTDIR ?? 'dist', (app) => {
  const monitoring = new ExampleMonitoringChart(app, 'monitoring');
  new ExampleSourceChart(app, 'dev', {
    aggregatorEndpoint: `${EXAMPLE.aggregatorHostname}:${monitoring.aggregator.vectorPort}`,
  });
});
