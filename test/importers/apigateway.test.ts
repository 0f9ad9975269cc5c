/**
 * API Gateway and WAF from code, beyond the equivalence fixtures: a Deployment that creates its
 * stage (StageDescription throttles), per-method settings and usage plan throttles, an OpenAPI body
 * (methods unknown), a method whose HTTP method is not a string, an association by a literal stage
 * ARN, and CloudFront ACLs (not recorded).
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { parseInventory } from '../../src/inventory/load.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

const TEMPLATE = `
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: scorer }
  Nested:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Api, ParentId: !Ref Models, PathPart: "{id}" }
  Models:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: models }
  Invoke:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Nested
      HttpMethod: post
      AuthorizationType: NONE
      ApiKeyRequired: true
      Integration: { Type: AWS, Uri: arn:aws:apigateway:us-east-1:runtime.sagemaker:path//endpoints/scorer/invocations }
  Health:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE }
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: Invoke
    Properties:
      RestApiId: !Ref Api
      StageName: live
      StageDescription:
        ThrottlingRateLimit: 30
        ThrottlingBurstLimit: 60
        MethodSettings:
          - { ResourcePath: "/~1models~1{id}", HttpMethod: POST, ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      UsagePlanName: partners
      ApiStages:
        - ApiId: !Ref Api
          Stage: live
          Throttle: { "/models/{id}/POST": { RateLimit: 2, BurstLimit: 4 } }
  OpenApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: from-openapi
      Body: { openapi: 3.0.1, paths: {} }
  Broken:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: broken }
  BrokenMethod:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Broken, ResourceId: !GetAtt Broken.RootResourceId, HttpMethod: [GET], AuthorizationType: NONE }
  EdgeAcl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Name: edge
      Scope: CLOUDFRONT
      DefaultAction: { Allow: {} }
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: edge }
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Name: regional
      Scope: REGIONAL
      DefaultAction: { Block: {} }
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: regional }
      Rules:
        - Name: shared-limits
          Priority: 0
          OverrideAction: { None: {} }
          Statement: { RuleGroupReferenceStatement: { Arn: ignored, ARN: arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/limits/abc } }
          VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: limits }
  Association:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${Api}/stages/live
      WebACLArn: !GetAtt Acl.Arn
`;

describe('API Gateway and WAF from CloudFormation', () => {
  const inventory = parseInventory(importCloudFormation(TEMPLATE, 'template.yaml', { accountId: ACCOUNT, region: REGION }), 'template.yaml');
  const gw = inventory.apiGateway!;
  const api = gw.restApis.find((a) => a.name === 'scorer')!;

  it('places methods on the paths of their resource chain, upper-cased', () => {
    expect(api.methods).toEqual([
      { resourcePath: '/', httpMethod: 'GET', apiKeyRequired: false, integrationType: null },
      { resourcePath: '/models/{id}', httpMethod: 'POST', apiKeyRequired: true, integrationType: 'AWS', integrationUri: 'arn:aws:apigateway:us-east-1:runtime.sagemaker:path//endpoints/scorer/invocations' },
    ]);
  });

  it('records the stage a Deployment creates, its default throttle and a per-method one, and the web ACL associated by ARN', () => {
    expect(gw.stages.map((s) => [s.arn, s.webAclArn, s.methodThrottles])).toEqual([
      [
        `${api.arn}/stages/live`,
        inventory.wafv2!.webAcls[0]!.arn,
        [
          { resourcePath: '*', httpMethod: '*', throttle: { rateLimit: 30, burstLimit: 60 } },
          { resourcePath: '/models/{id}', httpMethod: 'POST', throttle: { rateLimit: 5, burstLimit: 10 } },
        ],
      ],
    ]);
    expect(gw.usagePlans![0]).toMatchObject({ name: 'partners', throttle: null, apiStages: [{ restApiId: api.id, stage: 'live', methodThrottles: [{ resourcePath: '/models/{id}', httpMethod: 'POST', throttle: { rateLimit: 2, burstLimit: 4 } }] }] });
  });

  it('leaves the methods of an OpenAPI body and of an unreadable method unknown, with why', () => {
    const open = gw.restApis.find((a) => a.name === 'from-openapi')!;
    const broken = gw.restApis.find((a) => a.name === 'broken')!;
    expect(open.methods).toBeUndefined();
    expect(open.unresolved).toContain('Body');
    expect(broken.methods).toBeUndefined();
    expect(broken.unresolved).toContain('Methods');
  });

  it('records REGIONAL web ACLs only, with a customer rule group reference', () => {
    expect(inventory.wafv2!.webAcls.map((a) => [a.name, a.defaultAction, a.rules])).toEqual([
      ['regional', 'Block', [{ name: 'shared-limits', priority: 0, action: 'None', ruleGroupArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/limits/abc' }]],
    ]);
  });
});

const resource = (type: string, name: string, values: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
const PLAN = {
  format_version: '1.2',
  planned_values: {
    root_module: {
      resources: [
        resource('aws_api_gateway_rest_api', 'api', { name: 'scorer', id: 'abc1234567', root_resource_id: 'root000001' }),
        resource('aws_api_gateway_resource', 'invoke', { id: 'res0000001', rest_api_id: 'abc1234567', parent_id: 'root000001', path_part: 'invoke' }),
        resource('aws_api_gateway_method', 'invoke', { rest_api_id: 'abc1234567', resource_id: 'res0000001', http_method: 'POST', api_key_required: false }),
        resource('aws_api_gateway_integration', 'invoke', { rest_api_id: 'abc1234567', resource_id: 'res0000001', http_method: 'POST', type: 'AWS', uri: 'arn:aws:apigateway:us-east-1:bedrock-runtime:path/model/m/invoke' }),
        resource('aws_api_gateway_stage', 'prod', { rest_api_id: 'abc1234567', stage_name: 'prod' }),
        resource('aws_api_gateway_method_settings', 'invoke', { rest_api_id: 'abc1234567', stage_name: 'prod', method_path: 'invoke/POST', settings: [{ throttling_rate_limit: 10, throttling_burst_limit: 20 }] }),
        resource('aws_api_gateway_method_settings', 'all', { rest_api_id: 'abc1234567', stage_name: 'prod', method_path: '*/*', settings: [{ throttling_rate_limit: -1, throttling_burst_limit: -1, metrics_enabled: true }] }),
        resource('aws_wafv2_web_acl', 'edge', { name: 'edge', scope: 'CLOUDFRONT', default_action: [{ allow: [{}], block: [] }], rule: [] }),
        resource('aws_wafv2_web_acl_association', 'literal', { resource_arn: 'arn:aws:apigateway:us-east-1::/restapis/abc1234567/stages/prod', web_acl_arn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/elsewhere/0000' }),
      ],
    },
  },
  resource_changes: [],
  configuration: { root_module: { resources: [] } },
};

describe('API Gateway and WAF from a Terraform plan', () => {
  const inventory = parseInventory(importTerraformPlanData(PLAN, 'plan.json', { accountId: ACCOUNT, region: REGION }), 'plan.json');

  it('joins methods with their integrations, and method settings (-1: no limit) with the stage', () => {
    expect(inventory.apiGateway!.restApis[0]!.methods).toEqual([
      { resourcePath: '/invoke', httpMethod: 'POST', apiKeyRequired: false, integrationType: 'AWS', integrationUri: 'arn:aws:apigateway:us-east-1:bedrock-runtime:path/model/m/invoke' },
    ]);
    const stage = inventory.apiGateway!.stages[0]!;
    expect(stage.methodThrottles).toEqual([
      { resourcePath: '*', httpMethod: '*', throttle: { rateLimit: -1, burstLimit: -1 } },
      { resourcePath: '/invoke', httpMethod: 'POST', throttle: { rateLimit: 10, burstLimit: 20 } },
    ]);
    // An association by a literal ARN (a web ACL the plan does not declare) still sets the stage's ACL.
    expect(stage.webAclArn).toBe('arn:aws:wafv2:us-east-1:111122223333:regional/webacl/elsewhere/0000');
    expect(inventory.wafv2).toBeUndefined();
  });
});
