import { describeWebhookDeliveries } from './kit/webhook-deliveries';

/** R6, full (`npm run test:faults`): 10,000 bad deliveries across every pair's webhook receivers. */
describeWebhookDeliveries('R6 bad webhook deliveries, full', 10_000, 1_200_000);
