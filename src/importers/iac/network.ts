/**
 * Whether a subnet declared in infrastructure code is public, from what the same code declares:
 * its route table association (else the VPC's main route table, where the code declares which one
 * that is) and the routes of that table. Shared by the CloudFormation and Terraform mappers, which
 * only record the facts here; the verdict is drawn once every resource is mapped.
 *
 * A subnet is public when its table has a route for 0.0.0.0/0 or ::/0 to an internet gateway
 * (an `igw-` id: a literal one, or the synthetic id of an internet gateway the code declares). It
 * is private only when the whole table is in view (declared in the code) and no route of it could
 * be such a route; anything unresolved (an association or route whose table, destination or target
 * is unknown before deploy) leaves `public` absent rather than guessing.
 */
import { UNKNOWN, type Read } from './props.js';

const DEFAULT_ROUTES = new Set(['0.0.0.0/0', '::/0']);

interface RouteFact {
  destination: Read<string>;
  /** GatewayId (only internet and virtual private gateways go there); undefined: another target. */
  gateway: Read<string>;
}

export interface SubnetFacts {
  id: string;
  vpcId: string;
  public?: boolean;
  routeTableId?: string;
  internetRoute?: { destination: string; gatewayId: string };
}

export class NetworkFacts {
  /** Route tables the code declares (so their routes are all in view), with their VPC. */
  private readonly tables = new Map<string, { vpcId?: string }>();
  private readonly routes = new Map<string, RouteFact[]>();
  /** subnet id -> route table id (UNKNOWN: associated with a table unknown before deploy). */
  private readonly associations = new Map<string, string | typeof UNKNOWN>();
  /** VPC id -> its main route table, where the code says which table that is. */
  private readonly mainTables = new Map<string, string>();
  /** A route or association the code declares for a table or subnet unknown before deploy. */
  private uncertain = false;

  declareTable(tableId: string, vpcId: string | undefined): void {
    this.tables.set(tableId, { vpcId });
  }

  addRoute(tableId: Read<string>, destination: Read<string>, gateway: Read<string>): void {
    if (typeof tableId !== 'string') {
      // Could be any table: no private verdict can stand (a public one still can).
      if (tableId === UNKNOWN) this.uncertain = true;
      return;
    }
    const list = this.routes.get(tableId);
    if (list) list.push({ destination, gateway });
    else this.routes.set(tableId, [{ destination, gateway }]);
  }

  associate(subnetId: Read<string>, tableId: Read<string>): void {
    if (typeof subnetId !== 'string') {
      if (subnetId === UNKNOWN) this.uncertain = true;
      return;
    }
    if (tableId === undefined) return;
    // Two associations of one subnet (invalid in AWS): neither can be trusted.
    const previous = this.associations.get(subnetId);
    this.associations.set(subnetId, previous !== undefined && previous !== tableId ? UNKNOWN : tableId);
  }

  setMainTable(vpcId: Read<string>, tableId: Read<string>): void {
    if (typeof vpcId !== 'string') return;
    if (typeof tableId !== 'string') {
      if (tableId === UNKNOWN) this.uncertain = true;
      return;
    }
    this.mainTables.set(vpcId, tableId);
  }

  /** The subnet's `public`, deciding table and internet route, as far as the code shows them. */
  classify<T extends SubnetFacts>(subnet: T): T {
    const association = this.associations.get(subnet.id);
    if (association === UNKNOWN) return subnet;
    const tableId = association ?? this.mainTables.get(subnet.vpcId);
    if (tableId === undefined) return subnet;
    const routes = this.routes.get(tableId) ?? [];
    const internet = routes.find((r) => typeof r.destination === 'string' && DEFAULT_ROUTES.has(r.destination) && isInternetGateway(r.gateway));
    if (internet) {
      return { ...subnet, routeTableId: tableId, public: true, internetRoute: { destination: internet.destination as string, gatewayId: internet.gateway as string } };
    }
    if (!this.tables.has(tableId) || this.uncertain) return { ...subnet, routeTableId: tableId };
    const doubtful = routes.some(
      (r) => r.destination === UNKNOWN || (typeof r.destination === 'string' && DEFAULT_ROUTES.has(r.destination) && r.gateway === UNKNOWN),
    );
    return doubtful ? { ...subnet, routeTableId: tableId } : { ...subnet, routeTableId: tableId, public: false };
  }
}

function isInternetGateway(gateway: Read<string>): gateway is string {
  return typeof gateway === 'string' && gateway.startsWith('igw-');
}
