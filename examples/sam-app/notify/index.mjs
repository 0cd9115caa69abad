export const handler = async (event, context) => {
  for (const record of event.Records ?? []) {
    const order = JSON.parse(record.body);
    console.log(`notify customer of order ${order.id}`);
  }
  return { batchItemFailures: [] };
};
