/**
 * The Integration Broker's own error answers, copied as closely as public sources allow.
 * Catalog of message set 158: https://peoplesoftwiki.com/books/integration-broker/export/html
 */

/**
 * Verbatim body of RESTListeningConnector when no any-to-local routing exists for the operation (inactive or not
 * deployed), as seen in sis-berkeley-edu/calcentral spec/models/campus_solutions/proxy_spec.rb.
 */
export const ROUTING_NOT_FOUND_HTML =
  '<HTML><HEAD><TITLE>RESTListeningConnector</TITLE></HEAD><BODY>Unable to find a Routing corresponding to the incoming request message.</BODY></HTML>';

/**
 * HTTP status for the routing-not-found page. The public sources do not give it; the framework answers 500 for
 * every error raised before a handler runs (https://ib.books.cedarhillsgroup.com/rest/rest-status-codes/), and a
 * missing routing is found before any handler exists, so the simulator uses 500. A client must therefore read the
 * body, not the status, to know this is permanent.
 */
export const ROUTING_NOT_FOUND_STATUS = 500;

/**
 * Wrong node in the URL: HTTP 500 with a message ending (158,505). Only a localized install was seen publicly, so the
 * English wording here is the simulator's; the code is the part clients can rely on.
 */
export function wrongNodeMessage(node: string): string {
  return `Integration Gateway: Unable to find node ${node}. The target node is not defined in the database or is not a valid node. (158,505)`;
}

export function wrongNodeHtml(node: string): string {
  return `<HTML><HEAD><TITLE>RESTListeningConnector</TITLE></HEAD><BODY>${escapeXml(wrongNodeMessage(node))}</BODY></HTML>`;
}

export const PASSWORD_FAILED = 'User password failed. (158,45)';
export const notAuthorized = (oprid: string, operation: string) => `User ${oprid} not authorized to invoke Service Operation ${operation}. (158,536)`;
export const xmlParseError = (detail: string) => `XML parser error ParseXmlString: ${detail} (158,5)`;

/** Row already exists: text and code from https://docs.oracle.com/cd/F44947_01/pt858pbr3/eng/pt/tcpi/task_ReceivingResponses-076b29.html */
export const rowAlreadyExists = (ci: string) => `Row already exists with the specified keys. {${ci}} (91,49)`;
/** Get on a key that does not exist; (91,50) is the simulator's choice next to (91,49), not a documented code. */
export const noRowsExist = (ci: string) => `No rows exist for the specified keys. {${ci}} (91,50)`;

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * SOAP Fault carrying an IBResponse, the shape of a real gateway fault (Ruby test fixture quoted in partner-apis.md
 * §1.2: faultcode SOAP-ENV:Server, faultstring "null", detail/IBResponse type="error", StatusCode 20).
 */
export function ibFaultEnvelope(message: string, messageId: number, parameters: string[] = []): string {
  const params = parameters.map((p) => `<Parameter><![CDATA[${p}]]></Parameter>`).join('');
  return (
    '<?xml version="1.0"?>' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
    '<faultcode>SOAP-ENV:Server</faultcode><faultstring>null</faultstring><detail>' +
    '<IBResponse type="error"><DefaultTitle>Integration Broker Response</DefaultTitle><StatusCode>20</StatusCode>' +
    `<MessageID>${messageId}</MessageID><DefaultMessage><![CDATA[${message}]]></DefaultMessage>` +
    `<MessageParameters>${params}</MessageParameters></IBResponse>` +
    '</detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}
