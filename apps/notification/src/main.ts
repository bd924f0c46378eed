import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { notificationConfig } from './notification.config';
import { loadNotificationSettings } from './notify/config/notification-settings';

runServiceOrExit(AppModule, () => {
  // Checked before anything starts: a bad key, SMTP setting or webhook URL stops the service with exit 78.
  loadNotificationSettings();
  return notificationConfig();
});
