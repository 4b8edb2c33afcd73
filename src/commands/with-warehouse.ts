import type { Config } from '../config/types.js';
import { Warehouse } from '../warehouse/connection.js';

/**
 * Opens the warehouse (starting the embedded server if needed) and always
 * closes it; an error on the way out has the secrets in its server's or
 * driver's text masked.
 */
export async function withWarehouse<T>(config: Config, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await Warehouse.open(config);
  try {
    return await work(wh);
  } catch (error) {
    throw wh.maskError(error);
  } finally {
    await wh.close();
  }
}
