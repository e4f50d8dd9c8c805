import { DataSource } from 'typeorm';
import { quietCliLogger } from './src/cli/cli-runtime';
import { loadConfigFromProcess } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The DataSource the TypeORM CLI uses (`npm run migration:*`): same options as the running app. */
const config = loadConfigFromProcess();
quietCliLogger(config);
export default new DataSource(buildDataSourceOptions(config));
