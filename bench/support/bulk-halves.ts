/**
 * What the two stand-in processes of bench:bulk-scan answer (support/bulk-stand-ins.ts), and the
 * two put together as the scanner is given them. No runtime imports: the scanner process loads
 * this file, and nothing of the stand-ins may weigh on its memory.
 */
/** What the relay's process answers. */
export interface RelayHalf {
  relayUrl: string;
  relayKey: string;
  ldapPages: number;
}

/** What the emulator's process answers. */
export interface GraphHalf extends Omit<StandIns['chains'], 'ldapPages'> {
  graphUrl: string;
  caCertificate: string;
  /** Emulator processes answering (one tenant each, one port), and their process ids (for their CPU). */
  graphProcesses: number;
  pids: number[];
}

export interface StandIns {
  relayUrl: string;
  relayKey: string;
  graphUrl: string;
  caCertificate: string;
  /**
   * Pages each chain of dependent reads must go through, given the partitions read in parallel
   * (`partitions`: the first ones; big ones are split further).
   */
  chains: { ldapPages: number; graphPagesLongestPartition: number; partitions: number; cloudUsers: number; deletedUsers: number };
}

/** The two halves put together, as the scanner is given them. */
export function standInsOf(relay: RelayHalf, graph: GraphHalf): StandIns {
  const { graphUrl, caCertificate, cloudUsers, deletedUsers, partitions, graphPagesLongestPartition } = graph;
  return {
    relayUrl: relay.relayUrl,
    relayKey: relay.relayKey,
    graphUrl,
    caCertificate,
    chains: { ldapPages: relay.ldapPages, graphPagesLongestPartition, partitions, cloudUsers, deletedUsers },
  };
}
