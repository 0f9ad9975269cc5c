/**
 * Module walking: the planned values of the root and child modules, recursively, become the
 * plan's resources, each with its configuration (the module call it came from, resolved once per
 * call) and its .tf location when the module's source is local.
 */
import path from 'node:path';
import { moduleSegments } from './addresses.js';
import { isObject, type Json, type JsonPath } from './json.js';
import { TfLocator } from './locate.js';
import type { ConfigModule, TfResource } from './resource.js';

/** The plan's managed resources in plan order, by address and by address without instance key. */
export class PlanResources {
  readonly resources: TfResource[] = [];
  readonly byAddress = new Map<string, TfResource>();
  /** Instances by resource address without instance key (`module.m.aws_x.y`). */
  readonly byBase = new Map<string, TfResource[]>();
  private readonly locator = new TfLocator();

  configModule(module: unknown, directory: string | undefined, extra: { inputs?: Json; parent?: ConfigModule; address?: string } = {}): ConfigModule | undefined {
    if (!isObject(module)) return undefined;
    const resources = Array.isArray(module.resources) ? (module.resources as Json[]) : [];
    const byTypeName = new Map<string, Json>();
    for (const r of resources) {
      const key = `${String(r.type)}.${String(r.name)}`;
      if (r.mode !== 'data' && !byTypeName.has(key)) byTypeName.set(key, r);
    }
    return {
      resources,
      byTypeName,
      moduleCalls: isObject(module.module_calls) ? module.module_calls : {},
      outputs: isObject(module.outputs) ? module.outputs : {},
      inputs: extra.inputs ?? {},
      parent: extra.parent,
      address: extra.address ?? '',
      directory,
      children: new Map(),
    };
  }

  /** The configuration of module call `callName` inside `parent`. */
  childConfig(parent: ConfigModule | undefined, callName: string | undefined): ConfigModule | undefined {
    if (!parent || !callName) return undefined;
    if (parent.children.has(callName)) return parent.children.get(callName);
    const call = Object.hasOwn(parent.moduleCalls, callName) ? parent.moduleCalls[callName] : undefined;
    let child: ConfigModule | undefined;
    if (isObject(call)) {
      const source = typeof call.source === 'string' ? call.source : '';
      const directory =
        parent.directory !== undefined && (source.startsWith('./') || source.startsWith('../')) ? path.join(parent.directory, source) : undefined;
      const address = parent.address ? `${parent.address}.module.${callName}` : `module.${callName}`;
      child = this.configModule(call.module, directory, { inputs: isObject(call.expressions) ? call.expressions : {}, parent, address });
    }
    parent.children.set(callName, child);
    return child;
  }

  collect(module: Json, jsonPath: JsonPath, moduleAddress: string, config: ConfigModule | undefined, afterUnknown: Map<string, unknown>): void {
    ((module.resources ?? []) as Json[]).forEach((r, i) => {
      if (r.mode === 'data') return;
      const type = r.type as string;
      const name = r.name as string;
      const address = r.address as string;
      const configResource = config?.byTypeName.get(`${type}.${name}`);
      const block = config?.directory !== undefined ? this.locator.find(config.directory, type, name) : undefined;
      const resource: TfResource = {
        address,
        moduleAddress,
        type,
        name,
        index: r.index === null ? undefined : (r.index as string | number | undefined),
        jsonPath: [...jsonPath, 'resources', i],
        values: isObject(r.values) ? r.values : {},
        afterUnknown: afterUnknown.get(address),
        config: configResource,
        configModule: config,
        block,
        identity: { name: '', arn: '', attributes: {} },
        nameUnknown: false,
      };
      this.resources.push(resource);
      this.byAddress.set(address, resource);
      const base = `${moduleAddress ? `${moduleAddress}.` : ''}${type}.${name}`;
      const instances = this.byBase.get(base);
      if (instances) instances.push(resource);
      else this.byBase.set(base, [resource]);
    });
    ((module.child_modules ?? []) as Json[]).forEach((c, i) => {
      const address = typeof c.address === 'string' ? c.address : moduleAddress;
      // The call this child module instance comes from: the last `module.NAME` of its address.
      const segments = moduleSegments(address);
      const callName = segments && segments.length ? segments[segments.length - 1]!.name : undefined;
      this.collect(c, [...jsonPath, 'child_modules', i], address, this.childConfig(config, callName), afterUnknown);
    });
  }
}
