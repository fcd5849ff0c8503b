import { configureOutboundPolicy } from '../../connectors/http/outbound-policy';

/** Every test file starts with the admin-level setting `npm start` uses: the simulators are http://127.0.0.1. */
configureOutboundPolicy({ allowPrivateNetworks: true });
