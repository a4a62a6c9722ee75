/**
 * VPC API (https://github.com/jdcloud-api/jdcloud-sdk-go/tree/v1.66.0/services/vpc): the network
 * a JCS for Kubernetes cluster lives in.
 * Collection paths end in `/` — the SDKs all send it and it is part of the signed URI.
 */
import { JdcloudClient, JdcloudCall } from './client';
import { Filter } from './params';

export interface Subnet {
  subnetId: string;
  subnetName: string;
  vpcId: string;
  addressPrefix: string;
  availableIpCount?: number;
  ipMaskLen?: number;
  description?: string;
  routeTableId?: string;
  aclId?: string;
  startIp?: string;
  endIp?: string;
  createdTime?: string;
  subnetType?: string;
  az?: string;
}

export interface Vpc {
  vpcId: string;
  vpcName: string;
  addressPrefix?: string;
  description?: string;
  aclIds?: string[];
  routeTableIds?: string[];
  subnets?: Subnet[];
  createdTime?: string;
}

export interface CreateVpcRequest {
  regionId: string;
  /** CJK, letters, digits, `_`, `-`; ≤ 32 characters. */
  vpcName: string;
  /** Optional CIDR inside 10/8, 172.16/12 or 192.168/16, mask 16–28. */
  addressPrefix?: string;
  description?: string;
}

export interface ListRequest {
  regionId: string;
  pageNumber?: number;
  /** 10–100, default 20. */
  pageSize?: number;
  filters?: Filter[];
}

export interface CreateSubnetRequest {
  regionId: string;
  vpcId: string;
  subnetName: string;
  /** Must lie inside the VPC CIDR, mask 16–28, and not overlap another subnet. */
  addressPrefix: string;
  routeTableId?: string;
  description?: string;
}

/** Each method resolves with the API's `result` object (or nothing for empty results). */
export class VpcApi {
  readonly service: string;
  readonly #client: JdcloudClient;

  constructor(client: JdcloudClient, options: { service?: string } = {}) {
    this.#client = client;
    this.service = options.service ?? 'vpc';
  }

  /** POST `/regions/{regionId}/vpcs/`. */
  createVpc(request: CreateVpcRequest): Promise<{ vpcId: string }> {
    const { regionId, ...body } = request;
    return this.#call({ action: 'CreateVpc', method: 'POST', path: '/regions/{regionId}/vpcs/', regionId, body });
  }

  /** GET `/regions/{regionId}/vpcs/` (filters: vpcIds, vpcNames, azType, azs). */
  describeVpcs(request: ListRequest): Promise<{ vpcs: Vpc[]; totalCount: number }> {
    const { regionId, ...query } = request;
    return this.#call({ action: 'DescribeVpcs', method: 'GET', path: '/regions/{regionId}/vpcs/', regionId, query });
  }

  /** GET `/regions/{regionId}/vpcs/{vpcId}`. */
  describeVpc(request: { regionId: string; vpcId: string }): Promise<{ vpc: Vpc }> {
    return this.#call({ action: 'DescribeVpc', method: 'GET', path: '/regions/{regionId}/vpcs/{vpcId}', regionId: request.regionId, pathParams: { vpcId: request.vpcId } });
  }

  /** DELETE `/regions/{regionId}/vpcs/{vpcId}`. */
  async deleteVpc(request: { regionId: string; vpcId: string }): Promise<void> {
    await this.#call({ action: 'DeleteVpc', method: 'DELETE', path: '/regions/{regionId}/vpcs/{vpcId}', regionId: request.regionId, pathParams: { vpcId: request.vpcId } });
  }

  /** POST `/regions/{regionId}/subnets/`. */
  createSubnet(request: CreateSubnetRequest): Promise<{ subnetId: string }> {
    const { regionId, ...body } = request;
    return this.#call({ action: 'CreateSubnet', method: 'POST', path: '/regions/{regionId}/subnets/', regionId, body });
  }

  /** GET `/regions/{regionId}/subnets/` (filters: subnetIds, subnetNames, vpcId, …). */
  describeSubnets(request: ListRequest): Promise<{ subnets: Subnet[]; totalCount: number }> {
    const { regionId, ...query } = request;
    return this.#call({ action: 'DescribeSubnets', method: 'GET', path: '/regions/{regionId}/subnets/', regionId, query });
  }

  /** GET `/regions/{regionId}/subnets/{subnetId}`. */
  describeSubnet(request: { regionId: string; subnetId: string }): Promise<{ subnet: Subnet }> {
    return this.#call({ action: 'DescribeSubnet', method: 'GET', path: '/regions/{regionId}/subnets/{subnetId}', regionId: request.regionId, pathParams: { subnetId: request.subnetId } });
  }

  /** DELETE `/regions/{regionId}/subnets/{subnetId}`. */
  async deleteSubnet(request: { regionId: string; subnetId: string }): Promise<void> {
    await this.#call({ action: 'DeleteSubnet', method: 'DELETE', path: '/regions/{regionId}/subnets/{subnetId}', regionId: request.regionId, pathParams: { subnetId: request.subnetId } });
  }

  #call<T>(call: Omit<JdcloudCall, 'service'>): Promise<T> {
    return this.#client.call<T>({ ...call, service: this.service });
  }
}
