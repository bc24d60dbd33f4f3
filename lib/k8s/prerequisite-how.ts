import type { ObjectRef } from './object-references';

/** Projects that define well-known CRD groups, and how to install them. */
const CRD_GROUPS: Readonly<Record<string, string>> = {
  'cert-manager.io':
    'install cert-manager: helm repo add jetstack https://charts.jetstack.io && helm install cert-manager jetstack/cert-manager -n cert-manager --create-namespace --set crds.enabled=true',
  'acme.cert-manager.io':
    'install cert-manager: helm repo add jetstack https://charts.jetstack.io && helm install cert-manager jetstack/cert-manager -n cert-manager --create-namespace --set crds.enabled=true',
  'external-secrets.io':
    'install External Secrets: helm repo add external-secrets https://charts.external-secrets.io && helm install external-secrets external-secrets/external-secrets -n external-secrets --create-namespace',
  'source.toolkit.fluxcd.io': 'install Flux: flux install (or flux bootstrap)',
  'kustomize.toolkit.fluxcd.io': 'install Flux: flux install (or flux bootstrap)',
  'monitoring.coreos.com':
    "install the Prometheus Operator's CRDs, e.g. with kube-prometheus-stack: helm repo add prometheus-community https://prometheus-community.github.io/helm-charts && helm install kube-prometheus-stack prometheus-community/kube-prometheus-stack -n monitoring --create-namespace",
};

const ns = (ref: ObjectRef) => (ref.namespace ? ` -n ${ref.namespace}` : '');

/**
 * The generic way to provide an object of a kind: a `kubectl create` command where one exists (with a placeholder
 * for every key a Secret or ConfigMap needs), the project to install for a CRD of a well-known group, and otherwise
 * what has to be created.
 */
export function genericHow(
  p: ObjectRef & { readonly keys?: readonly string[]; readonly versions?: readonly string[] },
): string {
  const keys = p.keys ?? [];
  switch (p.kind) {
    case 'CustomResourceDefinition': {
      const group = p.name.slice(p.name.indexOf('.') + 1);
      const install = CRD_GROUPS[group] ?? `install the operator or chart that defines ${p.name}`;
      return `${install} (the CRD must serve ${(p.versions ?? []).join(', ')})`;
    }
    case 'Namespace':
      return `kubectl create namespace ${p.name}`;
    case 'Secret':
      return keys.length > 0
        ? `kubectl create secret generic ${p.name}${ns(p)} ${keys.map((k) => `--from-literal=${k}=...`).join(' ')}`
        : `kubectl create secret generic ${p.name}${ns(p)} --from-file=...`;
    case 'ConfigMap':
      return keys.length > 0
        ? `kubectl create configmap ${p.name}${ns(p)} ${keys.map((k) => `--from-file=${k}=...`).join(' ')}`
        : `kubectl create configmap ${p.name}${ns(p)} --from-file=...`;
    case 'ServiceAccount':
      return `kubectl create serviceaccount ${p.name}${ns(p)}`;
    case 'PriorityClass':
      return `kubectl create priorityclass ${p.name} --value=...`;
    case 'ClusterRole':
      return `kubectl create clusterrole ${p.name} --verb=... --resource=...`;
    case 'Role':
      return `kubectl create role ${p.name}${ns(p)} --verb=... --resource=...`;
    case 'Service':
      return `deploy the workload behind ${p.name}.${p.namespace}.svc: a Service ${p.name} in namespace ${p.namespace}`;
    case 'APIService':
      return p.name === 'v1beta1.metrics.k8s.io'
        ? 'install metrics-server, which serves the resource metrics API that HorizontalPodAutoscalers read: helm repo add metrics-server https://kubernetes-sigs.github.io/metrics-server/ && helm install metrics-server metrics-server/metrics-server -n kube-system (many managed clusters have it already)'
        : `register the APIService ${p.name} (install the component that serves it)`;
    case 'SecretStore':
    case 'ClusterSecretStore':
      return `create the External Secrets ${p.kind} ${p.name}${p.namespace ? ` in namespace ${p.namespace}` : ''} for your secret manager (https://external-secrets.io/latest/provider/)`;
    case 'Issuer':
    case 'ClusterIssuer':
      return `create the cert-manager ${p.kind} ${p.name}${p.namespace ? ` in namespace ${p.namespace}` : ''}`;
    default:
      return `create the ${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
  }
}
