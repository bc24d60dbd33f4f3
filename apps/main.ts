import { ExampleChart } from './example-chart';
import { synthToDirectory } from './synth-to-directory';

// The only entry point that writes files. `cdk8s synth` sets CDK8S_OUTDIR.
synthToDirectory(process.env.CDK8S_OUTDIR ?? 'dist', (app) => {
  new ExampleChart(app, 'example');
});
