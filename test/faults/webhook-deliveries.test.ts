import { describeWebhookDeliveries } from './kit/webhook-deliveries';

/** R6, short (`npm test`): a few hundred bad deliveries across every pair's webhook receivers. */
describeWebhookDeliveries('R6 bad webhook deliveries, short', 300, 300_000);
