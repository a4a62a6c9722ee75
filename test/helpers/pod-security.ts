/**
 * A checker for the Pod Security Standards, written from the control tables of
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ (the "baseline" and
 * "restricted" profiles, as Pod Security Admission enforces them at `latest`). It reads the pod
 * templates of rendered objects and returns one line per violated control, so a test shows what
 * to fix. Windows-only controls (hostProcess aside) are out of scope: jcrkit's pods are Linux.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Level = 'baseline' | 'restricted';

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);

/** Capabilities baseline allows a container to add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** The "safe" sysctls baseline allows. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** The only volume sources restricted allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

export function podSpecOf(obj: Obj): Obj | undefined {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path) return undefined;
  return path.reduce<Obj | undefined>((o, k) => o?.[k], obj);
}

function podAnnotations(obj: Obj): Record<string, string> {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path) return {};
  const meta = obj.kind === 'Pod' ? obj.metadata : path.slice(0, -1).reduce<Obj | undefined>((o, k) => o?.[k], obj)?.metadata;
  return meta?.annotations ?? {};
}

/** Every violation of `level` in one rendered object (empty for a compliant pod or a non-workload). */
export function podSecurityViolations(obj: Obj, level: Level): string[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  const id = `${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
  const out: string[] = [];
  const bad = (where: string, what: string) => out.push(`${id} ${where}: ${what}`);
  const psc: Obj = spec.securityContext ?? {};
  const containers: [string, Obj][] = [
    ...(spec.initContainers ?? []).map((c: Obj) => [`initContainer ${c.name}`, c] as [string, Obj]),
    ...(spec.containers ?? []).map((c: Obj) => [`container ${c.name}`, c] as [string, Obj]),
    ...(spec.ephemeralContainers ?? []).map((c: Obj) => [`ephemeralContainer ${c.name}`, c] as [string, Obj]),
  ];

  // ---- baseline ------------------------------------------------------------------------------
  if (psc.windowsOptions?.hostProcess) bad('pod', 'windowsOptions.hostProcess must not be true (HostProcess)');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) bad('pod', `${f} must not be true (Host Namespaces)`);
  for (const v of spec.volumes ?? []) if (v.hostPath) bad(`volume ${v.name}`, 'hostPath volumes are forbidden (HostPath Volumes)');
  const checkSelinux = (where: string, o: Obj | undefined) => {
    if (!o) return;
    if (!SELINUX_TYPES.has(o.type ?? '')) bad(where, `seLinuxOptions.type ${o.type} is not allowed (SELinux)`);
    if (o.user) bad(where, 'seLinuxOptions.user must not be set (SELinux)');
    if (o.role) bad(where, 'seLinuxOptions.role must not be set (SELinux)');
  };
  const checkAppArmor = (where: string, p: Obj | undefined) => {
    if (p && !['RuntimeDefault', 'Localhost'].includes(p.type)) bad(where, `appArmorProfile.type ${p.type} is not allowed (AppArmor)`);
  };
  checkSelinux('pod', psc.seLinuxOptions);
  checkAppArmor('pod', psc.appArmorProfile);
  if (psc.seccompProfile?.type === 'Unconfined') bad('pod', 'seccompProfile.type must not be Unconfined (Seccomp)');
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) bad('pod', `sysctl ${s.name} is not in the safe set (Sysctls)`);
  for (const [k, v] of Object.entries(podAnnotations(obj))) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'runtime/default' && !v.startsWith('localhost/')) bad('pod', `annotation ${k}: ${v} is not allowed (AppArmor)`);
  }
  for (const [where, c] of containers) {
    const sc: Obj = c.securityContext ?? {};
    if (sc.windowsOptions?.hostProcess) bad(where, 'windowsOptions.hostProcess must not be true (HostProcess)');
    if (sc.privileged) bad(where, 'privileged must not be true (Privileged Containers)');
    for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) bad(where, `capability ${cap} may not be added (Capabilities)`);
    for (const p of c.ports ?? []) if (p.hostPort) bad(where, `hostPort ${p.hostPort} must not be set (Host Ports)`);
    checkSelinux(where, sc.seLinuxOptions);
    checkAppArmor(where, sc.appArmorProfile);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') bad(where, `procMount ${sc.procMount} is not allowed (/proc Mount Type)`);
    if (sc.seccompProfile?.type === 'Unconfined') bad(where, 'seccompProfile.type must not be Unconfined (Seccomp)');
  }
  if (level === 'baseline') return out;

  // ---- restricted ----------------------------------------------------------------------------
  for (const v of spec.volumes ?? []) {
    const source = Object.keys(v).filter((k) => k !== 'name');
    for (const s of source) if (!RESTRICTED_VOLUMES.has(s)) bad(`volume ${v.name}`, `volume type ${s} is not allowed (Volume Types)`);
  }
  if (psc.runAsUser === 0) bad('pod', 'runAsUser must not be 0 (Running as Non-root user)');
  const podSeccomp = ['RuntimeDefault', 'Localhost'].includes(psc.seccompProfile?.type);
  for (const [where, c] of containers) {
    const sc: Obj = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) bad(where, 'allowPrivilegeEscalation must be false (Privilege Escalation)');
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) bad(where, 'runAsNonRoot must be true on the pod or the container (Running as Non-root)');
    if (sc.runAsUser === 0) bad(where, 'runAsUser must not be 0 (Running as Non-root user)');
    const seccomp = sc.seccompProfile?.type;
    if (seccomp !== undefined ? !['RuntimeDefault', 'Localhost'].includes(seccomp) : !podSeccomp) bad(where, 'seccompProfile.type must be RuntimeDefault or Localhost on the pod or the container (Seccomp)');
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) bad(where, 'capabilities.drop must include ALL (Capabilities)');
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') bad(where, `capability ${cap} may not be added; only NET_BIND_SERVICE (Capabilities)`);
  }
  return out;
}
