import type { SystemDescription } from './system-description.js';

/** VM and shared-region names are unique; each peer of a shared region names an existing VM, once. */
export function checkNames(system: SystemDescription, problems: string[]): void {
  const vmIndex = new Map<string, number>();
  system.vms.forEach((vm, i) => {
    const first = vmIndex.get(vm.name);
    if (first !== undefined) problems.push(`vms[${i}].name: VM name '${vm.name}' is already vms[${first}]'s`);
    else vmIndex.set(vm.name, i);
  });
  const regionIndex = new Map<string, number>();
  system.sharedMemory.forEach((region, s) => {
    const first = regionIndex.get(region.name);
    if (first !== undefined) problems.push(`shared-memory[${s}].name: shared region name '${region.name}' is already shared-memory[${first}]'s`);
    else regionIndex.set(region.name, s);
    const peerIndex = new Map<string, number>();
    region.peers.forEach((peer, p) => {
      const path = `shared-memory[${s}].peers[${p}].vm`;
      const firstPeer = peerIndex.get(peer.vm);
      if (!vmIndex.has(peer.vm)) problems.push(`${path}: no VM named '${peer.vm}' (the VMs are ${[...vmIndex.keys()].join(', ')})`);
      else if (firstPeer !== undefined) problems.push(`${path}: VM '${peer.vm}' is already peers[${firstPeer}]`);
      else peerIndex.set(peer.vm, p);
    });
  });
}
