import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The DataSource the TypeORM CLI uses (`npm run migration:*`): same options as the running app. */
export default new DataSource(buildDataSourceOptions(loadConfigFromProcess()));
