import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RequireScope } from '@keyflow/service-kit';

import { NotificationQuery } from '../infrastructure/notification-query';

/** Operators see where an order's notifications went: channels, attempts, status. Never their content. */
@Controller('v1/notifications')
export class NotificationsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly query: NotificationQuery,
  ) {}

  @Get(':orderId')
  @RequireScope('read')
  async forOrder(@Param('orderId', new ParseUUIDPipe()) orderId: string) {
    const notifications = await this.query.forOrder(this.dataSource.manager, orderId);
    if (notifications.length === 0)
      throw new NotFoundException({
        code: 'NOTIFICATION.NOT_FOUND',
        message: `no notification is known for order ${orderId}`,
      });
    return { orderId, notifications };
  }
}
