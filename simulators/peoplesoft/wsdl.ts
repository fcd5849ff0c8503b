import { type CiDef, type CiField, type CiMethod, getKeyElement, operationName, requestRoot, responseRoot, schemaNamespace, serviceName } from './ci-definitions';
import { escapeXml } from './errors';

const xsdType = (f: CiField) => (f.type === 'decimal' ? 'xsd:decimal' : f.type === 'integer' ? 'xsd:integer' : f.type === 'date' ? 'xsd:date' : 'xsd:string');

function elements(fields: CiField[], optional: boolean): string {
  return fields.map((f) => `<xsd:element name="${f.name}" type="${xsdType(f)}"${optional ? ' minOccurs="0"' : ''}/>`).join('');
}

function childElement(def: CiDef): string {
  if (!def.child) return '';
  return `<xsd:element name="${def.child.name}" minOccurs="0" maxOccurs="unbounded"><xsd:complexType><xsd:sequence>${elements(def.child.fields, true)}</xsd:sequence></xsd:complexType></xsd:element>`;
}

function shapes(def: CiDef, method: CiMethod): { request: string; response: string } {
  if (method === 'Get') {
    const request = def.keys.map((k) => `<xsd:element name="${getKeyElement(k.name)}" type="${xsdType(k)}"/>`).join('');
    return { request, response: elements(def.keys, false) + elements([...def.props, ...def.readOnly], true) + childElement(def) };
  }
  return { request: elements(def.keys, false) + elements(def.props, true) + (method === 'Create' ? childElement(def) : ''), response: elements(def.keys, false) };
}

const complex = (name: string, body: string) => `<xsd:element name="${name}"><xsd:complexType><xsd:sequence>${body}</xsd:sequence></xsd:complexType></xsd:element>`;

/**
 * A document/literal WSDL 1.1 per CI service, like the one the Provide Web Service wizard publishes at
 * `…/PeopleSoftServiceListeningConnector/<SERVICE>.1.wsdl`, SOAPAction `<operation>.v1`:
 * https://docs.oracle.com/en/applications/peoplesoft/peopletools/8.63/integration-broker/wsdl-url-formats.html
 */
export function buildWsdl(def: CiDef, location: string): string {
  const svc = serviceName(def);
  const tns = `http://xmlns.oracle.com/Enterprise/Tools/services/${svc}`;
  const ns = schemaNamespace(def);
  const types = def.methods.map((m) => {
    const { request, response } = shapes(def, m);
    return complex(requestRoot(def, m), request) + complex(responseRoot(def, m), response);
  });
  const messages = def.methods.map(
    (m) =>
      `<wsdl:message name="${requestRoot(def, m)}_Req"><wsdl:part name="parameter" element="m:${requestRoot(def, m)}"/></wsdl:message>` +
      `<wsdl:message name="${requestRoot(def, m)}_Resp"><wsdl:part name="parameter" element="m:${responseRoot(def, m)}"/></wsdl:message>`,
  );
  const portOps = def.methods.map(
    (m) => `<wsdl:operation name="${operationName(def, m)}"><wsdl:input message="tns:${requestRoot(def, m)}_Req"/><wsdl:output message="tns:${requestRoot(def, m)}_Resp"/></wsdl:operation>`,
  );
  const bindingOps = def.methods.map(
    (m) =>
      `<wsdl:operation name="${operationName(def, m)}"><soap:operation soapAction="${operationName(def, m)}.v1" style="document"/>` +
      '<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>',
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<wsdl:definitions name="${svc}" targetNamespace="${tns}" xmlns:tns="${tns}" xmlns:m="${ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<wsdl:types><xsd:schema elementFormDefault="qualified" targetNamespace="${ns}">${types.join('')}</xsd:schema></wsdl:types>` +
    messages.join('') +
    `<wsdl:portType name="${svc}_PortType">${portOps.join('')}</wsdl:portType>` +
    `<wsdl:binding name="${svc}_Binding" type="tns:${svc}_PortType"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps.join('')}</wsdl:binding>` +
    `<wsdl:service name="${svc}"><wsdl:port name="${svc}_Port" binding="tns:${svc}_Binding"><soap:address location="${escapeXml(location)}"/></wsdl:port></wsdl:service>` +
    '</wsdl:definitions>'
  );
}
